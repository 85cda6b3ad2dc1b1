"""What the dynamic providers do: runtime (configure), read batching, diffing, outputs, waiting, adoption.

May import `api`, `safety` and the spec *model*, never the spec loader: the provider process stays small. The
provider classes themselves stay in `vod_provider.resources` and `vod_provider.template_resource`, whose import
paths are pickled into every resource (state format).
"""
