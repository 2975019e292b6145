"""The project frame (settings, root URL map, WSGI entry point); the apps know nothing of it."""
