"""``make pdf``: the built handbook site printed as one PDF by Debian's headless chromium.

- :mod:`tools.pdf.toc` reads the reading order from ``_toc.yml``.
- :mod:`tools.pdf.assemble` turns the built pages (``_build/html``, in ``_toc.yml`` order) into one
  print document: title page, table of contents, chapters, answers appendix.
- :mod:`tools.pdf.chromium` drives headless chromium over its DevTools pipe (no port, no network).
- :mod:`tools.pdf.locate` finds the page each chapter starts on in a first print, for the contents.
- ``tools/build_pdf.py`` is the command line that puts them together.
"""
