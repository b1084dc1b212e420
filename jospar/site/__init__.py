"""The whole site: what spans every app (the demo that fills them all). It stands above every
app, like ``jospar.navigation``, so that no app has to import a higher one for it."""
