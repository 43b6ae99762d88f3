"""Generic REST API machinery that knows no domain model: tokens, authentication, rights,
preconditions (ETag / If-Match), pagination, throttling, errors. The endpoints themselves live
in the apps that own the data (programs/api/)."""
