"""The emulated account every test shares: the test AccessKey, four videos and two AIImage templates."""

from __future__ import annotations

from tests.support.emulator_process import AccessKeyPair

TEST_KEY = AccessKeyPair("LTAI5tVodjobsTestKey0001", "vodjobs-test-secret-7f3a9c1e5b")

VIDEOS = {
    "trailer": "2b8f0c6e4d1a4f7e9c3b5a7d6e8f0a1b",
    "keynote": "5c9a1e3b7d2f4a6c8e0b2d4f6a8c0e2d",
    "interview": "8e1d3c5b7a9f4e2d6c8b0a2e4f6d8c0b",
    "teaser": "0f2e4d6c8b0a4e9d7c5b3a1f9e7d5c3b",
}
TEMPLATE = "7d2e4f6a8b0c4d1e9f3a5b7c9d1e3f5a"
OTHER_TEMPLATE = "3a5c7e9b1d2f4a6c8e0b2d4f6a8c1e3d"
