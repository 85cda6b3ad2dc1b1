"""The VOD API client: one method per action, V3 signing, credentials, settings, pacing, retries, the error table.

Imports nothing else of vodjobs but the root error (`vod_provider.errors`). No `requests` exception leaves it.
"""
