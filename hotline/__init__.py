"""hotline: a multilingual voice and SMS hotline for harm reduction.

`create_app()` is the composition root: it reads the settings, loads and checks the
flows and catalogues once, connects the Redis store and registers the thin web layer.
Its imports live inside it so that `hotline.flow` (the pure engine) can be imported
without Flask, Redis or Twilio.
"""

from __future__ import annotations

from collections.abc import Mapping

REDIS_TIMEOUT = 1.0  # seconds; a slow Redis must not keep a caller waiting


def create_app(settings: Mapping | None = None):
    """Build the Flask app from `settings` (a test's dict) or the environment.

    Raises `ConfigError` or `FlowError` with a plain message if it cannot serve.
    """
    import logging
    import os

    from flask import Flask

    from .config import Config
    from .flow.loader import load_flowset
    from .i18n import Catalogues
    from .service import Hotline
    from .store import SessionStore, connect
    from .web import health, twilio

    config = Config.from_mapping(os.environ if settings is None else settings)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = config.HOTLINE_MAX_BODY
    flows = load_flowset(config.HOTLINE_FLOWS_DIR)
    catalogues = Catalogues(config.HOTLINE_LOCALES_DIR, flows.languages.languages, flows.languages.source)
    client = connect(config.REDIS_URL, REDIS_TIMEOUT)
    store = SessionStore(client, config.secret, config.HOTLINE_VOICE_TTL, config.HOTLINE_SMS_TTL)
    app.extensions["hotline"] = Hotline(config, flows, catalogues, store)
    app.register_blueprint(twilio.bp)
    app.register_blueprint(health.bp)
    if config.development:
        logging.getLogger("hotline").warning(
            "DEVELOPMENT MODE: Twilio signatures are NOT checked and a development secret is used. "
            "Never expose this to the internet."
        )
    return app
