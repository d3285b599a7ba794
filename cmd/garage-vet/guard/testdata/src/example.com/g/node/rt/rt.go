package rt

import _ "example.com/g/layout"
