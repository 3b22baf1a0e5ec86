<?php __halt_compiler();
/* Site Triage test sample — DEFANGED: __halt_compiler() above stops PHP before any of this runs.
   Imitates a password-gated backdoor with a gzinflate(base64) payload. */
$auth = 'e10adc3949ba59abbe56e057f20f883e';
if (isset($_COOKIE['wp_sess']) && md5($_COOKIE['wp_sess']) == $auth) {
    eval(gzinflate(base64_decode('y0xT0MgsLk4t0VCJd3cNiVZPVo/V1FSoViiuLC5JzUUWtVaoBQA=')));
}
