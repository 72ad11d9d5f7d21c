"""The client's address as the platform sees it behind its reverse proxy.

``X-Forwarded-For`` is believed only when the direct peer is one of the trusted proxies
(``OPENAMO_TRUSTED_PROXIES``, networks in CIDR notation): the header is then read from the right,
skipping the trusted hops, and the first other address is the client. From any other peer the
header is ignored, since anyone can write it. IPv6 clients count by their /64 network, which one
subscriber usually holds whole.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_networks(
    values: Iterable[str], setting: str = "OPENAMO_TRUSTED_PROXIES"
) -> list[Network]:
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"{setting} : « {value} » n'est pas une adresse ou un réseau IP "
                "(exemple : 10.0.0.0/8, 127.0.0.1)."
            ) from None
    return networks


def _address(value: str) -> Address | None:
    try:
        return ipaddress.ip_address(value.strip().removeprefix("[").split("]")[0])
    except ValueError:
        return None


def _trusted(address: Address, proxies: list[Network]) -> bool:
    return any(address in network for network in proxies)


def client_ip(request: HttpRequest) -> Address | None:
    proxies = parse_networks(settings.OPENAMO_TRUSTED_PROXIES)
    peer = _address(str(request.META.get("REMOTE_ADDR", "")))
    if peer is None or not _trusted(peer, proxies):
        return peer
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    client = peer
    for hop in reversed([part for part in forwarded.split(",") if part.strip()]):
        address = _address(hop)
        if address is None:
            break  # a malformed entry: keep the last address a trusted proxy vouched for
        client = address
        if not _trusted(address, proxies):
            break
    return client


def client_key(request: HttpRequest) -> str:
    """What login limits count by: the address, or the /64 network of an IPv6 address."""
    address = client_ip(request)
    if address is None:
        return "inconnue"
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(address)
