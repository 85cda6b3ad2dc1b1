"""Helpers the tests share: the emulator as a real process, the real pulumi CLI on a temp stack."""
