package g_test

import _ "example.com/g/sim"
