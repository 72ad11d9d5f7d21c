"""Forms of the steering pages, one module per page family: they parse what people type into
the typed inputs of the services (``openamo.web.steering.inputs``, or the domain's own input
models); the rules stay in the domain."""
