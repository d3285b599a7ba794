package model

import _ "example.com/g/checker"
