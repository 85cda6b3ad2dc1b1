"""The root of every error vodjobs raises, and the tree below it.

    VodjobsError                     anything vodjobs itself reports (never a secret in the message)
     ├── SpecError                   spec files are invalid: .issues, each with file:line:column   (spec.model)
     ├── SpecsNotFoundError          the stack's spec glob matches no file                         (program)
     ├── SettingsError               a vodjobs:* setting is unknown, missing or malformed           (api.settings)
     ├── CredentialsError            no usable AccessKey in the stack config, environment or profile (api.credentials)
     │    └── NoCredentialsError     none at all (a preview runner without a key: `adopt:` is not verified)
     ├── VodError                    a VOD API call failed: .action .code .meaning .request_id .http_status (api.errors)
     │    ├── ThrottledError         refused for flow control; it was not executed
     │    ├── VodTransportError      no complete answer (a Transport.* code); .may_have_executed
     │    └── AmbiguousError         a submit may have run although it failed; .client_token; never resent
     ├── JobMaybeSubmittedError      a job may exist although no JobId came back; .request_id .client_token (safety.submission)
     ├── ProviderNotConfiguredError  a provider call needed the API before configure()             (providers.runtime)
     ├── AdoptedJobNotFoundError     `adopt:` names a JobId the service does not know               (resources)
     └── CliError                    the `vodjobs` command cannot do its work                       (cli)
          ├── StackReadError         the pulumi CLI could not read the stack                        (cli.stack_reader)
          ├── StackConfigError       Pulumi.<stack>.yaml cannot be read                             (cli.preview)
          └── PreviewDigestError     `pulumi preview --json` printed something we cannot read       (cli.preview_plan)

This module is the bottom layer: every other part of vod_provider may import it, and it imports nothing. The cloud's
`Code`, its `RequestId` and our client token (the request's x-acs-signature-nonce) stay separate fields where an
error carries them, so a message can name each and a caller can branch on the code alone.
"""

from __future__ import annotations

from collections.abc import Mapping

# Set to 1 (or true) for the Python traceback behind every error, in the provider process, the program and `vodjobs`.
DEBUG_VARIABLE = "PULUMI_DEBUG"


class VodjobsError(Exception):
    """Anything vodjobs reports to a user: the message says what happened, where, and what to do."""


class CliError(VodjobsError):
    """The `vodjobs` command cannot do its work (the stack, its config or pulumi is not usable)."""


def traceback_wanted(environ: Mapping[str, str]) -> bool:
    """Whether the user asked for Python tracebacks (PULUMI_DEBUG=1 or true); otherwise errors are shown as messages."""
    return environ.get(DEBUG_VARIABLE, "").strip().lower() in ("1", "true", "yes")
