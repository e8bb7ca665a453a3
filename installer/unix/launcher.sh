#!/bin/sh
# Sceau @NAME@: written by `sceau install`, removed by `sceau uninstall`.
exec @JAVA@ @JVM_OPTIONS@ -cp @CLASSPATH@ @MAIN@ "$@"
