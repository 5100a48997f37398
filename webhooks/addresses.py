"""Where a webhook may be sent: http(s) URLs whose host resolves to public addresses only.

A URL the desk posts to is a way into whatever network the desk runs in: a
subscription to ``http://127.0.0.1:6379/`` or ``http://169.254.169.254/``
would make the desk call its own Redis or the cloud's metadata service. So
every address a host resolves to must be public, checked when the
subscription is made and again at each send (DNS answers change), and the
connection goes to the address that was checked. Setting
``DESK_WEBHOOKS_ALLOW_PRIVATE`` lifts the rule, for tests and local development.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from support_desk.errors import DomainError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# NAT64 (RFC 6052) carries an IPv4 address in its last 32 bits.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class WebhookUrlRefused(DomainError):
    code = "webhook_url_refused"


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect (``address``) and what to ask for."""

    scheme: str
    host: str
    port: int
    path: str
    address: str


def address_is_public(address: IPAddress) -> bool:
    """Return True for an address on the public internet.

    Refused: loopback, private, link-local, multicast, reserved, unspecified
    and the other special-purpose ranges, also when wrapped in an IPv6
    address (IPv4-mapped, 6to4, NAT64).
    """
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None and not address_is_public(embedded):
            return False
    return address.is_global and not (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def _refuse(message: str) -> WebhookUrlRefused:
    return WebhookUrlRefused(message, details={"url": message})


def url_check(url: str, *, allow_private: bool) -> Target:
    """Return where to send a webhook for ``url``; raise WebhookUrlRefused.

    Resolves the host: every address it has must be public unless
    ``allow_private``. The first one is the address to connect to.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise _refuse(_("This is not a URL.")) from None
    if parts.scheme not in ("http", "https"):
        raise _refuse(_("Use an http or https URL."))
    host = parts.hostname
    if not host:
        raise _refuse(_("The URL names no host."))
    if parts.username is not None or parts.password is not None:
        raise _refuse(_("Leave credentials out of the URL: deliveries are signed instead."))
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise _refuse(_("The host %(host)s does not resolve.") % {"host": host}) from None
    addresses: list[str] = []
    for _family, _type, _proto, _name, sockaddr in found:
        text = str(sockaddr[0]).partition("%")[0]  # drop an IPv6 zone
        if not allow_private and not address_is_public(ipaddress.ip_address(text)):
            raise _refuse(
                _(
                    "The host %(host)s resolves to %(address)s, which is not a public address; "
                    "webhooks go only to public addresses."
                )
                % {"host": host, "address": text}
            )
        addresses.append(text)
    if not addresses:
        raise _refuse(_("The host %(host)s does not resolve.") % {"host": host})
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(scheme=parts.scheme, host=host, port=port, path=path, address=addresses[0])
