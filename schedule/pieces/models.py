"""No models: each talk's pieces (VEVENT, frab JSON object and XML <event>, list row, grid
card) live in Django's cache (store.py), keyed by the `stamp` of what they were built from
(talk, room, devroom, event, ordered speakers; stamps.py), so that e.g. a room rename makes
the next request rebuild just that room's talks' pieces."""
