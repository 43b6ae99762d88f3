"""The demo data set of `manage.py load_demo`: five programmes from public Indonesian news reports.

`data/<slug>.toml` holds one programme each, citing its report; `data.py` reads and checks the
files, `loader.py` writes them and the demo accounts.
"""
