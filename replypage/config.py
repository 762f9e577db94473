"""The plugin's typed configuration. Shapes are checked here; the core validates the content."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class ReplyPageConfig(base.Config):
    """Options under `plugins: - replypage:` in mkdocs.yml. Unset options use the example site."""

    enabled = c.Type(bool, default=True)
    owner = c.Optional(c.Type(dict))
    default_locale = c.Optional(c.Type(str))
    locales = c.Optional(c.Type(list))
    personas = c.Optional(c.Type(dict))
    further_reading = c.Optional(c.Type(list))
    sections_dir = c.Optional(c.Type(str))
    personas_dir = c.Optional(c.Type(str))
    own_dir = c.Optional(c.Type(str))

    def core_options(self) -> dict:
        """The options the core validates, without the unset ones."""
        return {key: value for key, value in self.items()
                if key != "enabled" and value is not None}
