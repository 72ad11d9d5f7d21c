"""Organisations (collectivités, AMO firms, contractors), users' memberships and roles."""
