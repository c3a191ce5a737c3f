from lawie.infer.cli import main

raise SystemExit(main())
