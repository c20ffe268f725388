"""One function per user action, and the read models that pages, API and CLI all render."""
