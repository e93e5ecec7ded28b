"""Checks of the service directory that its models cannot make alone: numbers that can be
dialled, ZIP codes that exist, and a flow that names only services the directory has.

Rules this module keeps:
- A problem is returned as (data path, message), for the loader to point at a file and line;
  nothing here raises or reads a file.
"""

from __future__ import annotations

import re

from .directory import OFFERS, Directory
from .explain import number_problem, unknown_offer
from .model import Flow, TransferNode, ZipNode


def check(directory: Directory, valid_number) -> tuple[list[tuple[tuple, str]], dict]:
    """Cross-checks the model cannot do alone: dialable numbers and known ZIP codes.

    Returns (problems as (data path, message), service id -> Place of its address).
    """
    from .places import locate

    problems: list[tuple[tuple, str]] = []
    places = {}
    for service_id, service in directory.services.items():
        here = ("services", service_id)
        short_code = service.national and re.fullmatch(r"\d{3}", service.phone)
        if not short_code and not valid_number(service.phone):
            problems.append(((*here, "phone"), number_problem(service.phone)))
        if service.zip:
            place = locate(service.zip)
            if place is None:
                problems.append(((*here, "zip"), f"'{service.zip}' is not a known US ZIP code"))
            else:
                places[service_id] = place
        for i, zip_code in enumerate(service.serves):
            if locate(zip_code) is None:
                problems.append(((*here, "serves", i), f"'{zip_code}' is not a known US ZIP code"))
    return problems, places


def check_links(flow: Flow, directory: Directory, valid_number) -> list[tuple[tuple, str]]:
    """What the flow says about services, checked against the directory: every service it
    names exists and can be dialled, ZIP nodes ask for known offers, `near_me` is a ZIP node."""
    import difflib

    problems: list[tuple[tuple, str]] = []

    def known(path: tuple, service_id: str) -> bool:
        if service_id in directory.services:
            return True
        hint = difflib.get_close_matches(service_id, directory.services, n=1)
        problems.append((path, f"there is no service '{service_id}' in services.yaml"
                               + (f" (did you mean '{hint[0]}'?)" if hint else "")))
        return False

    for i, service_id in enumerate(flow.settings.national_lines):
        known(("settings", "national_lines", i), service_id)
    for node_id, node in flow.nodes.items():
        if isinstance(node, TransferNode):
            for i, service_id in enumerate(node.services):
                path = ("nodes", node_id, "services", i)
                if known(path, service_id) and len(directory.services[service_id].phone) == 3:
                    problems.append((path, f"'{service_id}' has a short code, which a transfer cannot dial"))
        if isinstance(node, ZipNode):
            for i, offer in enumerate(node.offers):
                if offer not in OFFERS:
                    problems.append((("nodes", node_id, "offers", i), unknown_offer(offer)))
    if flow.near_me and not isinstance(flow.nodes.get(flow.near_me), ZipNode):
        problems.append((("near_me",), "'near_me' must name a zip node"))
    number = flow.settings.hotline_number
    if number and not valid_number(number):
        problems.append((("settings", "hotline_number"), number_problem(number)))
    return problems
