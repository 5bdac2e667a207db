"""Managing accounts: the first run, accounts for an organization department's own level and beneath,
bulk and meeting accounts, and their pages. Above organizations and elections, which it reads;
:mod:`xuanju.accounts` keeps the account model, scope and inbox beneath them (the layers in
pyproject.toml)."""
