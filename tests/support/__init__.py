"""Helpers the tests share (fixtures stay in the conftest.py files and only wire these up).

account          the shared test account: AccessKey, videos, AIImage templates
emulator_process one `python -m vod_emulator` process and its /_emulator/ admin calls
emulators        the emulator fixture factory: start, seed with the shared account, stop all
emulator_clients the official SDK client on an emulator, a video of a test's own, raw admin calls
server_process   start/stop of a server child process, for the emulator and the S3 server
s3_server        a moto_server process holding Pulumi state in buckets, as OSS would
pulumi_stack     a temp vodjobs project driven by the real pulumi CLI; the checkpoint's resources
specs            spec files built from mappings
waiting          wait_for and read_until: polls with a deadline that fail the test when time runs out
chaos            the chaos trials' sizes and their exactly-once check
ci_pipeline      the examples/ci/ recipes run as CI runners would
process_tree     the processes a command started, from /proc
golden           golden files compared whole
scripted_server  a stand-in HTTP endpoint with a fixed script
"""
