// Pins the sdk/v3 module at the Python SDK's version (requirements.txt) so that
// scripts/install-pulumi takes the two helper scripts the official tarball ships
// (python/cmd/pulumi-language-python-exec, python/dist/pulumi-resource-pulumi-python)
// from a checksum-verified download. Nothing here is compiled.
module vodjobs/tools/pulumi-python-helpers

go 1.26.6

require github.com/pulumi/pulumi/sdk/v3 v3.272.0
