"""A local emulator of the ApsaraVideo VOD OpenAPI (2017-03-21) for vodjobs' demo and tests."""
