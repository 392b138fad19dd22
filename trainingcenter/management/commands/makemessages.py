"""Django's makemessages, also reading `_l(...)`: gettext_lazy's name where a
module imports it beside gettext as `_`. Without it those strings would drop
out of the catalogue and show in English."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_l"]
