
/* Site Triage test sample — DEFANGED: the condition below is always false. */
if ( false ) { @eval( base64_decode( $_POST['wp_c'] ) ); }
