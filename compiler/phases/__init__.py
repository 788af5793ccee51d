"""The phases of compiling a framework, one module each; `precepts.compiler.resolve`
runs them in order."""
