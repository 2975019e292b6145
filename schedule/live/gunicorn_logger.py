"""gunicorn's access log with agenda tokens masked; loaded only by gunicorn (`.[serve]`)."""

from gunicorn.glogging import Logger

from schedule.live.tokens import mask


class MaskingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {k: mask(v) if isinstance(v, str) else v for k, v in atoms.items()}
