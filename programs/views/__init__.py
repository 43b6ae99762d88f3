"""The programme pages, one module per concept (as programs/models/); each module ends with its
URLs, which programs/urls.py puts together."""
