package plots

import _ "example.com/g/checker/model" // want "arrow: example.com/g/plots -> example.com/g/checker/model: plots may import only plots"
