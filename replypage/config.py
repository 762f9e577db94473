"""The plugin's typed configuration. Shapes are checked here; the core validates the content."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class Shape(c.Type):
    """A value of one YAML type, with a valid example in the error message."""

    def __init__(self, type_: type, example: str) -> None:
        super().__init__(type_)
        self.example = example

    def run_validation(self, value: object) -> object:
        if not isinstance(value, self._type):
            kind = {dict: "a mapping", list: "a list", str: "a string"}[self._type]
            raise c.ValidationError(f"expected {kind}, e.g. {self.example}")
        return value


class ReplyPageConfig(base.Config):
    """Options under `plugins: - replypage:` in mkdocs.yml. Unset options use the example site."""

    enabled = c.Type(bool, default=True)
    owner = c.Optional(Shape(dict, "{name: Erika Mustermann, contact: {label: Mail, "
                               "url: 'mailto:erika@example.org'}}"))
    default_locale = c.Optional(Shape(str, "de"))
    locales = c.Optional(Shape(list, "[de, du, en]"))
    personas = c.Optional(Shape(dict, "{sales: {sections: [intro, cold-pitch, closing]}}"))
    further_reading = c.Optional(Shape(list, "[{title: Kaltakquise? Nicht cool…, "
                                             "author: Jörg Dechert}]"))
    sections_dir = c.Optional(Shape(str, "sections"))
    personas_dir = c.Optional(Shape(str, "personas"))
    own_dir = c.Optional(Shape(str, "own"))
    registry = c.Optional(Shape(str, "shortlinks.yml"))
    legal = c.Optional(Shape(dict, "{address: 'Musterweg 1, 12345 Musterstadt', "
                                   "email: erika@example.org}"))

    def validate(self):
        """Like MkDocs, but an unknown option is an error, not a warning: it is always a typo."""
        failed, warnings = super().validate()
        known = {name for name, _ in self._schema}
        for key in self.keys():
            if key not in known:
                failed.append((key, c.ValidationError(
                    f"unknown option (expected one of: {', '.join(sorted(known))})")))
        return failed, [(key, w) for key, w in warnings if key in known]

    def core_options(self) -> dict:
        """The options the core validates, without the unset ones."""
        return {key: value for key, value in self.items()
                if key != "enabled" and value is not None}
