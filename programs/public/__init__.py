"""The public side of the registry: anonymous pages at /public/, the sitemap, open data (CSV,
JSON) and IATI activity files.

Every read here starts from a model's `public()` QuerySet method (programs.models): the public
counterpart of collab.permissions.restrict, and the only place that decides what is public.
"""
