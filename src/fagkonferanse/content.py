"""Content in two languages: the Norwegian text, or the English version an organiser gave.

Titles, descriptions, the foreword, stand texts and room names are written in Norwegian bokmål;
each may have an English version in a column beside it (``title_en`` beside ``title``), empty
meaning "none given". An English page shows the English version where there is one, and the
Norwegian text otherwise, marked ``lang="nb"`` so a screen reader reads it with a Norwegian voice
(WCAG 2.1, 3.1.2). A Norwegian page never shows the English text.

Every page, export and PDF chooses through :func:`localized`, so they cannot disagree about
which text a reader gets. Templates call it for every item on the programme page, under load:
it builds no markup until the text is printed, and there only a ``<span>`` when one is needed.
"""

from __future__ import annotations

from flask import Flask
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from .i18n import current_language

SOURCE_LANGUAGE = "nb"  # the language content is written in; other versions are optional


class Localized:
    """A piece of content in the language it is actually in, for a page in ``page_language``.

    Printed in a template (``{{ item|localized("title") }}``) it is the escaped text, inside
    ``<span lang="…">`` only when its language differs from the page's. For block text put
    :attr:`lang_attr` on the element instead (``{% set text = item|localized("description") %}``
    then ``<p{{ text.lang_attr }}>{{ text.text }}</p>``); in a ``<title>`` or an attribute,
    where no element may go, use :attr:`text`.
    """

    __slots__ = ("text", "language", "page_language")

    def __init__(self, text: str, language: str, page_language: str):
        self.text = text
        self.language = language
        self.page_language = page_language

    @property
    def foreign(self) -> bool:
        """True when the text is not in the page's language (and so must say which it is in)."""
        return self.language != self.page_language

    @property
    def lang_attr(self) -> Markup:
        """`` lang="nb"`` for the element holding the text when it is foreign, else nothing."""
        return lang_attribute(self.language, self.page_language)

    def __html__(self) -> Markup:
        escaped = escape(self.text)
        if self.language == self.page_language or not escaped:
            return escaped
        # str.join, not Markup's "+": that would escape the tag (and is several times slower).
        return Markup("".join(('<span lang="', self.language, '">', escaped, "</span>")))

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)

    def __repr__(self) -> str:
        return f"Localized({self.text!r}, {self.language!r}, page={self.page_language!r})"


def localized(obj: object, field: str, language: str | None = None) -> Localized:
    """``obj.<field>`` in ``language`` (the page's, by default) where a version in it is given.

    ``localized(item, "title")`` on an English page is ``item.title_en`` in English when that is
    filled in, else ``item.title`` in Norwegian. A field without a column for the language (an
    organisation's name) is always the Norwegian text.
    """
    page = language or current_language()
    if page != SOURCE_LANGUAGE:
        translated = getattr(obj, field + "_" + page, None)
        if translated and not translated.isspace():
            return Localized(translated, page, page)
    return Localized(getattr(obj, field) or "", SOURCE_LANGUAGE, page)


def norwegian(text: str | None, language: str | None = None) -> Localized:
    """Content that exists only in Norwegian (organisation names, project sheets), for a page in
    ``language``: printed inside ``lang="nb"`` on an English page."""
    return Localized(text or "", SOURCE_LANGUAGE, language or current_language())


def lang_attribute(language: str, page_language: str | None = None) -> Markup:
    """`` lang="nb"`` when ``language`` is not the page's, for a container of such content."""
    if language == (page_language or current_language()):
        return Markup("")
    return Markup(' lang="%s"') % language


# --- In templates -----------------------------------------------------------------------------------

PAGE_LANGUAGE = "page_language"  # in every template's context: the language it is rendered in


@pass_context
def _localized_here(context: Context, obj: object, field: str) -> Localized:
    return localized(obj, field, context.get(PAGE_LANGUAGE))


@pass_context
def _norwegian_here(context: Context, text: str | None) -> Localized:
    return norwegian(text, context.get(PAGE_LANGUAGE))


@pass_context
def _lang_attr_here(context: Context, language: str) -> Markup:
    return lang_attribute(language, context.get(PAGE_LANGUAGE))


def install(app: Flask) -> None:
    """Make the helpers available to every template: ``{{ item|localized("title") }}``,
    ``{{ organisation.name|norwegian }}`` and ``<div{{ lang_attr("nb") }}>``.

    The two that print content are filters, not globals: Jinja calls a filter directly, a global
    through its context, which measured twice the cost per field on the programme page. The page's
    language is looked up once per render (a context processor), not once per field; macros
    imported without context do not see it and look it up themselves.
    """
    app.add_template_filter(_localized_here, "localized")
    app.add_template_filter(_norwegian_here, "norwegian")
    app.jinja_env.globals["lang_attr"] = _lang_attr_here
    app.context_processor(lambda: {PAGE_LANGUAGE: current_language()})
