from kc_excel.launch import main

main()
