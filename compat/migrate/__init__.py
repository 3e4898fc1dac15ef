"""Tools for moving a code base off Face Recognition v1 step by step.

``scan`` finds legacy call sites, ``fix`` rewrites imports to the import swap, ``usage`` counts the legacy
calls that still run (and warns about them), ``calibrate`` measures thresholds on your own pairs, and
``docs`` renders MIGRATION.md. Nothing here is imported by ``import compat`` except ``usage``, which is
stdlib-only and costs one boolean check per call while disabled.
"""
