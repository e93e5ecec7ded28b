"""hotline: a multilingual voice and SMS hotline for harm reduction.

`create_app()` is the composition root: it reads the settings, loads and checks the
flows and catalogues (then keeps them fresh, see `bundle`), connects the Redis store,
registers the thin web layer and the coordinators' `flask hotline` commands.
Its imports live inside it so that `hotline.flow` (the pure engine) can be imported
without Flask, Redis or Twilio.

Rules this package keeps (tests/test_layout.py enforces them):
- Folders name the parts: `flow/` (pure core), `texting/` (pure SMS rules), `channels/`
  (TwiML and Twilio's REST API), `state/` (Redis), `web/` (webhooks), `authoring/` (the
  coordinators' tools). At the top: `create_app`, `config`, the `Hotline` service with
  `text_reply` (one text in, one reply out), the published `bundle`, the catalogues
  (`i18n`) and the `cli`.
- Imports point inward: web and the CLI -> service -> channels, state, texting -> flow.
  State and channels never import the web layer or the coordinators' tools.
- No import cycles between modules, and no module over 300 lines.
"""

from __future__ import annotations

from collections.abc import Mapping


def create_app(settings: Mapping | None = None, clock=None):
    """Build the Flask app from `settings` (a test's dict) or the environment; `clock`
    (a function returning an aware datetime) replaces the real time, for tests.

    Raises `ConfigError` or `FlowError` with a plain message if it cannot serve.
    """
    import logging
    import os

    from flask import Flask
    from werkzeug.middleware.proxy_fix import ProxyFix

    from .bundle import Published
    from .channels.messaging import TextSender
    from .cli import cli
    from .config import Config, ConfigError
    from .service import Hotline, utc_now
    from .state.breaker import PROBE_TIMEOUT, Breaker
    from .state.client import LazyCluster, connect
    from .state.sessions import SessionStore
    from .state.stats import Stats
    from .state.stats_months import roll_up_in_background
    from .web import alert_callbacks, audio, health, landing, twilio

    config = Config.from_mapping(os.environ if settings is None else settings)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = config.HOTLINE_MAX_BODY
    # A slow or absent Redis must not keep a caller waiting: see `connect`.
    client = connect(config.REDIS_URL, config.HOTLINE_REDIS_TIMEOUT_MS / 1000)
    # Start-up runs the same check as `hotline check` and a reload: errors stop it here.
    recordings_at = (config.HOTLINE_AUDIO_DIR, config.audio_url)
    if config.console:  # the published revision in Redis (flows/ and locales/ are its seed)
        from .live import LiveRevisions
        from .state.revisions import RevisionStore

        published = LiveRevisions(RevisionStore(client), config.HOTLINE_FLOWS_DIR, config.HOTLINE_LOCALES_DIR,
                                  config.HOTLINE_RELOAD_SECONDS, audio=recordings_at)
    else:
        published = Published(config.HOTLINE_FLOWS_DIR, config.HOTLINE_LOCALES_DIR, config.HOTLINE_RELOAD_SECONDS,
                              audio=recordings_at)
    if config.HOTLINE_PROXY_HOPS:
        # Trust X-Forwarded-Proto/Host/Port/Prefix from exactly this many proxies, so the URL
        # Flask sees (and the Twilio signature is checked against) is the one Twilio called.
        hops = config.HOTLINE_PROXY_HOPS
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops)
    # A slow or absent Redis must not keep a caller waiting: see `connect`.
    # While it stalls, the breaker answers callers without waiting for it (see `breaker`).
    timeout = config.HOTLINE_REDIS_TIMEOUT_MS / 1000
    prober = connect(config.REDIS_URL, min(timeout, PROBE_TIMEOUT))
    breaker = Breaker(lambda: prober.ping())  # a cluster client is built at its first use, not here
    stats = Stats(client, config.HOTLINE_TIME_ZONE, config.test_numbers, isinstance(client, LazyCluster),
                  config.HOTLINE_STATS_FLUSH)
    roll_up_in_background(stats)
    store = SessionStore(client, config.secret, config.HOTLINE_VOICE_TTL, config.HOTLINE_SMS_TTL,
                         config.HOTLINE_OPT_OUT_TTL, config.HOTLINE_LANGUAGE_TTL, breaker, stats)
    texts = TextSender(
        config.TWILIO_ACCOUNT_SID, config.TWILIO_AUTH_TOKEN,
        config.HOTLINE_NUMBER or published.bundle.flows.settings.hotline_number,
        config.TWILIO_API_URL, config.HOTLINE_SMS_TIMEOUT,
    )
    hotline = app.extensions["hotline"] = Hotline(config, published, store, texts, clock or utc_now)
    if config.alerts:
        from .outbound.alerts import Alerts

        if published.bundle.alerts is None:
            raise ConfigError(f"HOTLINE_ALERTS=on needs {config.HOTLINE_FLOWS_DIR}/alerts.yaml (see docs/alerts.md)")
        hotline.alerts = app.extensions["alerts"] = Alerts(config, published, store, hotline.clock)
    if not texts.ready:
        logging.getLogger("hotline").warning(
            "Texts during calls are off: set TWILIO_ACCOUNT_SID and HOTLINE_NUMBER (or settings.hotline_number). "
            "Callers who ask for a text are told it could not be sent."
        )
    app.cli.add_command(cli)
    app.register_blueprint(twilio.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(audio.bp)
    app.register_blueprint(alert_callbacks.bp)
    app.register_blueprint(landing.bp)
    if config.HOTLINE_METRICS_TOKEN:
        from .web import metrics

        metrics.install(app, config.HOTLINE_METRICS_TOKEN)
    if config.console:
        from .console import init_console
        from .console.startup import announce

        init_console(app, app.extensions["hotline"], published)
        announce(app)
    if config.development:
        logging.getLogger("hotline").warning(
            "DEVELOPMENT MODE: Twilio signatures are NOT checked and a development secret is used. "
            "Anyone who can reach this server can act as Twilio. Never expose it to the internet."
        )
    return app
