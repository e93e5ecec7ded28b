"""hotline: a multilingual voice and SMS hotline for harm reduction.

`create_app()` is the composition root: it reads the settings, loads and checks the
flows and catalogues once, connects the Redis store and registers the thin web layer.
Its imports live inside it so that `hotline.flow` (the pure engine) can be imported
without Flask, Redis or Twilio.
"""

from __future__ import annotations

from collections.abc import Mapping


def create_app(settings: Mapping | None = None):
    """Build the Flask app from `settings` (a test's dict) or the environment.

    Raises `ConfigError` or `FlowError` with a plain message if it cannot serve.
    """
    import logging
    import os

    import redis
    from flask import Flask
    from redis.backoff import NoBackoff
    from redis.retry import Retry
    from werkzeug.middleware.proxy_fix import ProxyFix

    from .config import Config
    from .flow.loader import load_flowset
    from .i18n import Catalogues
    from .service import Hotline
    from .store import SessionStore
    from .web import health, twilio

    config = Config.from_mapping(os.environ if settings is None else settings)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = config.HOTLINE_MAX_BODY
    if config.HOTLINE_PROXY_HOPS:
        # Trust X-Forwarded-Proto/Host/Port/Prefix from exactly this many proxies, so the URL
        # Flask sees (and the Twilio signature is checked against) is the one Twilio called.
        hops = config.HOTLINE_PROXY_HOPS
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops)
    flows = load_flowset(config.HOTLINE_FLOWS_DIR)
    catalogues = Catalogues(config.HOTLINE_LOCALES_DIR, flows.languages.languages, flows.languages.source)
    # A slow or absent Redis must not keep a caller waiting: a short timeout and no retries
    # with back-off (redis-py's default would wait many seconds). One immediate retry on a
    # broken connection lets a pooled connection from before a Redis restart be replaced
    # without the caller noticing.
    timeout = config.HOTLINE_REDIS_TIMEOUT_MS / 1000
    client = redis.Redis.from_url(
        config.REDIS_URL, socket_timeout=timeout, socket_connect_timeout=timeout,
        retry=Retry(NoBackoff(), 1, supported_errors=(redis.ConnectionError,)),
    )
    store = SessionStore(client, config.secret, config.HOTLINE_VOICE_TTL, config.HOTLINE_SMS_TTL)
    app.extensions["hotline"] = Hotline(config, flows, catalogues, store)
    app.register_blueprint(twilio.bp)
    app.register_blueprint(health.bp)
    if config.development:
        logging.getLogger("hotline").warning(
            "DEVELOPMENT MODE: Twilio signatures are NOT checked and a development secret is used. "
            "Anyone who can reach this server can act as Twilio. Never expose it to the internet."
        )
    return app
