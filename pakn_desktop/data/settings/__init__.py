"""Settings: each declared once (key, type, default, check, environment variable, where it
lives) in ``registry``'s terms; ``catalogue.declared()`` lists them all; ``rows`` stores the
shared ones. The keyring and the reader that serves them all are ``services.settings``."""
