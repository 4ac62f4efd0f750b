"""The names of the site's cookies, in one place, because the page cache decides from them alone.

A request's cookies say, without a database lookup, whether a shared (cached) page may answer it:

* ``ORGANISER_COOKIE`` holds an organiser's login: a random token naming a server-side session
  (:mod:`fagkonferanse.accounts.sessions`). Its holder never gets a cached page.
* ``NOTICE_COOKIE`` is set while a flashed message waits in the visitor's session, so the next
  page is rendered for them and shows it; it is removed once the message has been shown.
* Flask's session cookie (``SESSION_COOKIE_NAME``, "session") holds an anonymous visitor's CSRF
  token and messages. It does not stop the cache: a page that reads the session is never stored.
* ``LANGUAGE_COOKIE`` chooses the language and is part of the cache key.
* ``PASSPORT_COOKIE`` links a browser to a stand passport; only poster scans (never cached) read it.
"""

ORGANISER_COOKIE = "fk_organiser"
NOTICE_COOKIE = "fk_notice"
LANGUAGE_COOKIE = "lang"
PASSPORT_COOKIE = "fk_standpass"

# Any of these in a request means "render it for this visitor".
PERSONAL_COOKIES = frozenset({ORGANISER_COOKIE, NOTICE_COOKIE})
