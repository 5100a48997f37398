"""Mail into the desk: a buyer's reply to a notification becomes a message on the ticket.

``addresses`` signs and checks reply addresses and body tokens, ``parsing``
reads MIME or a provider's JSON into an :class:`~tickets.inbound.parsing.InboundMessage`,
``quotes`` cuts quoted history, and ``service`` records the mail once per
Message-ID and adds the buyer's message.
"""
