"""``pakn-desktop screenshot``: every screen and dialog rendered offscreen on the demo database
(``render``), the shots themselves (``screens``, ``dialogs``) and the contact sheet of docs/
(``sheet``)."""
