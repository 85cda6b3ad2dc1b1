"""The spec language: YAML spec files → validated, frozen spec objects (`model`), every problem as a SpecIssue.

Imports nothing else of vodjobs (PyYAML and the standard library only), so `vodjobs validate` runs where only
PyYAML is installed. `model` is the part the providers may see; the loader, checks, schema tables, YAML nodes,
JSON Schema and rendering stay on the program's and the CLI's side. This file imports nothing: importing
`vod_provider.spec.model` must not load the loader.
"""
