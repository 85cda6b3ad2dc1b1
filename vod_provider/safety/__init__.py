"""Crash safety: the submission journal, submit-once, and the recovery of a crashed run's submissions.

May import `api`; never the providers, the program or the CLI.
"""
