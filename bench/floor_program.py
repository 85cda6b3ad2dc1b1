"""The engine floor's Pulumi program (linked as `__main__.py` of the floor project by bench/scale.py)."""

from bench.floor_provider import main

main()
