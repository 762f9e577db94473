"""The plugin's MkDocs configuration: only `enabled` is MkDocs' business.

Every other option under `plugins: - replypage:` goes to the core untouched, which validates it
exactly as the `shortlink` command does, so the build and the command never disagree.
"""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class ReplyPageConfig(base.Config):
    """Options under `plugins: - replypage:` in mkdocs.yml (see README.md, "Make it yours")."""

    enabled = c.Type(bool, default=True)

    def validate(self):
        """MkDocs' checks for `enabled`; other keys are the core's (unknown ones included)."""
        failed, warnings = super().validate()
        known = {name for name, _ in self._schema}
        return failed, [(key, warning) for key, warning in warnings if key in known]

    def core_options(self) -> dict:
        """The options the core validates."""
        return {key: value for key, value in self.items() if key != "enabled"}
