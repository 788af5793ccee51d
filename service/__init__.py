"""`precepts serve`: the HTTP service over a folder of frameworks (issue 11).

The web libraries (starlette, uvicorn, watchfiles) are imported only by the modules of
this package, and this package only by `precepts serve`, so other commands never pay
for them. The precepts work itself goes through one adapter module, core_calls.py.
"""
