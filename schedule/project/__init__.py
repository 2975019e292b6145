"""The project frame: settings, the root URL map and the WSGI entry point. The apps (the
`schedule` models and its capability packages, `talks`) know nothing of it."""
