@echo off
rem Sceau @NAME@: written by `sceau install`, removed by `sceau uninstall`.
@JAVA@ @JVM_OPTIONS@ -cp @CLASSPATH@ @MAIN@ %*
