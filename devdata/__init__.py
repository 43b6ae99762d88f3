"""Development-only tooling (synthetic data for benchmarks); installed unless COLLAB_ENV=production.

It sits on top of collab, partners and programs: it may import them, none of them imports it.
"""
