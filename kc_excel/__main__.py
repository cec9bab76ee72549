from kc_excel.cli import main

main()
