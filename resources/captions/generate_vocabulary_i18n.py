"""Write ``vocabulary.zh.txt``, ``vocabulary.es.txt`` and ``vocabulary.ja.txt``: the caption
vocabulary in Chinese, Spanish and Japanese, written for PhotoSearch.

Run from the repository root::

    python resources/captions/generate_vocabulary_i18n.py

Like ``generate_vocabulary.py`` (English), the lists below are hand-written for this product and
combined where the combination makes sense - but each language combines them its own way, not
by translating English lines: Chinese puts time and place before the noun (日落时的海滩,
海滩上的一只狗) and counts with measure words; Spanish uses the gerund for what people do (un
niño volando una cometa) and makes adjectives agree; Japanese describes with a clause before
the noun (凧揚げをしている子ども, 夕暮れの海辺). The output is deterministic; a test checks that
the committed files match.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

# ---------------------------------------------------------------------------------------------
# Chinese

ZH = {
    "people": ["一个男人", "一个女人", "一个孩子", "两个孩子", "一位老人", "一对情侣", "一家人",
               "一群朋友", "一个女孩", "一个男孩", "爷爷奶奶和孙子孙女"],
    "activities": ["游泳", "徒步", "踢足球", "骑自行车", "做晚饭", "吃冰淇淋", "看书", "跳舞",
                   "滑雪", "冲浪", "钓鱼", "露营", "画画", "弹吉他", "弹钢琴", "吹生日蜡烛",
                   "拆礼物", "堆沙堡", "自拍", "遛狗", "放风筝", "跑步比赛", "做瑜伽", "攀岩",
                   "玩滑板", "溜冰", "骑马", "划船", "野餐", "种花", "烤饼干", "下棋", "唱歌",
                   "在沙发上睡觉", "用笔记本电脑工作", "打雪仗", "堆雪人", "看烟花", "打篮球",
                   "打网球", "吹泡泡", "喂鸭子", "装饰圣诞树", "摆姿势拍照"],
    "places": ["海滩", "沙滩", "岩石海岸", "山间湖泊", "河边", "港口", "瀑布", "游泳池", "码头",
               "热带小岛", "森林", "林间小路", "山顶", "草地", "麦田", "沙漠", "雪原", "山谷",
               "葡萄园", "农场", "花园", "公园", "露营地", "滑雪场", "乡间小路", "花海",
               "城市街道", "热闹的市场", "城市广场", "火车站", "机场", "大桥", "屋顶", "地铁站",
               "城市天际线", "古城", "游乐场", "足球场", "街边咖啡馆", "厨房", "客厅", "卧室",
               "办公室", "教室", "图书馆", "博物馆", "咖啡馆", "餐厅", "音乐厅", "健身房",
               "教堂", "酒店房间", "超市", "城堡", "灯塔", "大教堂", "寺庙", "风车", "古老的石桥",
               "宫殿", "喷泉"],
    "light": ["日落时的", "日出时的", "夜晚的", "黄昏时的", "雨天的", "雾中的", "蓝天下的",
              "阴天的", "雪中的", "秋天的", "春天的", "夏天的", "冬天的", "暴风雨过后的"],
    "outdoor": 30,  # the first places are outdoors: only they take weather and seasons
    "animals": ["一只狗", "两只狗", "一只小狗", "一只猫", "一只小猫", "一匹马", "一头牛",
                "一群羊", "一只鸟", "一群鸟", "一只鸭子", "一只天鹅", "一只海鸥", "一头鹿",
                "一只松鼠", "一只兔子", "一只山羊", "一只鸡", "一只蝴蝶", "一只狐狸", "一只鹦鹉",
                "一条鱼", "一只乌龟", "一只猫头鹰"],
    "animal_places": ["海滩上", "花园里", "公园里", "草地上", "雪地里", "田野里", "沙发上",
                      "湖边", "森林里", "农场上", "木栅栏上"],
    "animal_actions": ["在睡觉", "在奔跑", "在玩球", "看着镜头", "在吃东西", "在跳跃",
                       "在晒太阳", "坐着"],
    "styles": ["一张黑白照片：", "特写：", "航拍：", "一张模糊的照片：", "全景：", "剪影：",
               "长曝光照片：", "老照片：", "俯拍：", "一幅油画：", "一张素描：", "夜景照片：",
               "倒影：", "微距照片："],
    "subjects": ["城市天际线", "连绵的群山", "一朵花", "一只狗", "一只猫", "一家人", "一条街道",
                 "海滩", "森林", "一座桥", "一辆汽车", "一栋建筑", "一棵树", "一张脸", "大海",
                 "一只鸟", "一杯咖啡", "一座教堂", "一辆自行车", "港口"],
    "events": ["挂满气球的生日派对", "有蛋糕和蜡烛的生日派对", "花园里的生日派对", "孩子的生日派对",
               "和朋友一起的生日派对", "教堂里的婚礼", "婚宴上的舞会", "花园婚礼", "新郎新娘",
               "婚礼蛋糕", "毕业典礼", "把学士帽抛向空中", "和家人的毕业合影", "全家一起吃年夜饭",
               "挂满礼物的圣诞树", "夜晚的圣诞市集", "圣诞节早上拆礼物", "街上的圣诞彩灯",
               "新年派对", "城市上空的新年烟花", "举杯庆祝新年", "家庭聚会", "全家福",
               "花园里的家庭烧烤", "学校的舞台剧", "学校运动会", "班级合影", "开学第一天",
               "体育场里的足球比赛", "足球队合影", "人山人海的演唱会", "户外舞台上的音乐会",
               "街头游行", "街头节日", "狂欢节", "万圣节化装派对", "点着蜡烛的南瓜灯",
               "复活节找彩蛋", "宝宝迈出第一步", "婴儿床里睡觉的宝宝", "宝宝的第一个生日",
               "海边的暑假", "夏日音乐节", "自驾游", "山里的寒假", "雪中散步", "春节的红灯笼",
               "舞龙舞狮", "中秋节的月饼", "端午节的龙舟赛", "春节放鞭炮", "贴春联"],
    "food": ["一块披萨", "一个生日蛋糕", "一杯咖啡", "一碗汤", "一盘意大利面", "汉堡和薯条",
             "一碗水果沙拉", "一碗拉面", "寿司", "一个牛角面包", "一杯红酒", "一杯啤酒",
             "一杯鸡尾酒", "一块巧克力蛋糕", "一篮面包", "新鲜的蔬菜", "烤肉架上的香肠",
             "一桌早餐", "淋着糖浆的松饼", "一碗草莓", "一个冰淇淋甜筒", "一只烤鸡", "一份沙拉",
             "一杯茶", "一个三明治", "一笼小笼包", "一碗饺子", "一锅火锅", "一碗米饭",
             "一盘炒面", "一串糖葫芦"],
    "food_places": ["桌上的", "盘子里的", "餐厅里的", "野餐时的", "厨房里的"],
    "objects": ["一辆自行车", "一辆红色的汽车", "一辆老爷车", "一辆摩托车", "一艘帆船",
                "一列火车", "一架飞机", "一个热气球", "一顶帐篷", "一个背包", "一个行李箱",
                "一台笔记本电脑", "一部手机", "一台相机", "一双鞋", "一顶帽子", "一只泰迪熊",
                "一只风筝", "一把吉他", "一架钢琴", "一个时钟", "一盏台灯", "一瓶插花",
                "一盆植物", "一个书架", "一摞书", "一支蜡烛", "一棵圣诞树", "一个雪人",
                "一座沙堡", "一张长椅", "一架秋千", "一扇红色的门", "一扇窗户", "一段楼梯",
                "一个壁炉", "一把椅子", "一张桌子", "一张床", "一张沙发", "一面镜子",
                "墙上的一幅画", "一张地图", "一张手写的便条", "一张收据", "一张票", "一本护照",
                "一块白板", "电脑屏幕", "一辆拖拉机", "一辆公交车", "一辆有轨电车", "一条船"],
    "object_places": ["桌上的", "房间里的", "地板上的", "窗边的", "花园里的", "街上的",
                      "海滩上的", "雪地里的"],
    "colours": ["红色", "橙色", "黄色", "绿色", "蓝色", "紫色", "粉色", "白色", "黑色", "棕色",
                "灰色"],
    "shapes": [("圆形", "个"), ("正方形", "个"), ("三角形", "个"), ("星星", "颗"), ("十字", "个"),
               ("菱形", "个"), ("爱心", "颗"), ("球", "个"), ("盒子", "个"), ("气球", "个")],
    "surfaces": ["草地上的", "木桌上的", "沙子上的", "夜空中的"],
    "hand_written": [
        "手机截图", "网页截图", "扫描的文件", "写满笔记的白板", "一页手写的文字", "一张名片",
        "桌上的账单", "购物清单", "餐厅的菜单", "路标", "写着街名的路牌", "城市地图", "登机牌",
        "演唱会门票", "食谱", "书的一页", "屏幕上的图表", "二维码", "对着镜子自拍", "合影自拍",
        "微笑的女人的肖像", "留胡子的男人的肖像", "对着镜头笑的宝宝", "熟睡的宝宝",
        "脸上画着彩绘的孩子", "叼着树枝的狗", "箱子里的猫", "窗台上的猫", "在车后座的狗",
        "接飞盘的狗", "马厩里的马", "在田野里吃草的牛", "田野上空的彩虹", "夜里的闪电",
        "夜空中的银河", "满月", "湖上的北极光", "海上的日落", "山上的日出", "从飞机窗口看到的云",
        "星空", "海上的雷雨", "满地的秋叶", "樱花", "向日葵花田", "郁金香花田", "薰衣草花田",
        "一朵红玫瑰", "一束鲜花", "窗户上的霜", "屋檐上的冰柱", "结冰的湖面", "雪地上的脚印",
        "拍打礁石的海浪", "冲浪的人", "日落时港口里的船", "夜晚的灯塔", "穿过群山的公路",
        "蜿蜒的山路", "堵车", "城市的夜景", "霓虹灯招牌", "繁忙的十字路口", "墙上的涂鸦",
        "彩色的壁画", "一排房子", "老农舍", "林中的小木屋", "现代建筑", "摩天大楼",
        "夜晚空荡荡的街道", "雨中撑伞的街道", "摆满水果的摊位", "鱼市", "花市", "面包店的橱窗",
        "书店", "旋转木马", "摩天轮", "过山车", "动物园", "水族馆", "一头大象", "一只长颈鹿",
        "一头狮子", "一匹斑马", "一只企鹅", "树上的猴子", "一只大熊猫", "跳出水面的海豚",
        "珊瑚礁", "水下的鱼", "在喷泉里玩的孩子", "荡秋千的孩子", "滑滑梯的孩子",
        "用粉笔画画的孩子", "围着篝火的人们", "烤棉花糖", "星空下的帐篷", "树间的吊床",
        "铺着餐布的野餐篮", "摆好餐具的餐桌", "碰杯", "结婚戒指", "捧着花束的新娘",
        "毕业证书", "奖杯", "奖牌", "终点线", "马拉松选手", "山路上骑车的人", "攀岩的人",
        "湖上的皮划艇", "渔船", "游艇", "邮轮", "蒸汽火车", "车展上的老爷车", "田里的拖拉机",
        "菜园", "藤上的西红柿", "树上的苹果", "南瓜地", "一碗樱桃", "家里的办公桌",
        "乱糟糟的书桌", "温馨的读书角", "下雨的窗户", "一杯咖啡和一本书", "键盘上的猫",
        "床上的狗", "搬家的纸箱", "空房间", "花园派对", "后院烧烤", "泳池派对", "博物馆里的画",
        "公园里的雕像", "彩色玻璃窗", "灯光闪烁的舞台", "乐队演出", "夜晚的体育场", "网球场",
        "高尔夫球场", "篮球架", "游泳比赛", "新生儿", "孕妇", "生日贺卡", "包好的礼物",
        "复活节彩蛋", "河上的烟花", "夜里的仙女棒", "天上的孔明灯", "篝火", "烛光晚餐",
        "机场登机口", "酒店泳池", "沙滩遮阳伞", "沙滩上的脚印", "沙滩上的贝壳", "沙滩上的螃蟹",
        "山间小屋", "倒映着群山的湖", "被雪覆盖的村庄", "结冰的瀑布", "日落时的沙漠", "骆驼",
        "棕榈树", "梯田", "茶园", "挂着灯笼的寺庙", "路边小吃摊", "面馆", "夜市", "长城",
        "胡同", "四合院", "江南水乡", "竹林"],
}


def zh_lines() -> list[str]:
    """Chinese: place and time before the noun, measure words with numbers."""
    z = ZH
    out = [f"{p}{a}" if a.startswith("在") else f"{p}在{a}"
           for p, a in itertools.product(z["people"][:9], z["activities"])]
    for n, place in enumerate(z["places"]):
        out.append(place)
        lights = z["light"] if n < z["outdoor"] else ["夜晚的"]
        out += [f"{light}{place}" for light in lights]
    out += z["animals"]
    out += [f"{where}的{a}" for a, where in itertools.product(z["animals"], z["animal_places"])]
    out += [f"{a}{act}" for a, act in itertools.product(z["animals"][:12], z["animal_actions"])]
    out += [f"{s}{subject}" for s, subject in itertools.product(z["styles"], z["subjects"])]
    out += z["events"]
    out += z["food"]
    out += [f"{where}{f}" for f, where in itertools.product(z["food"], z["food_places"])]
    out += z["objects"]
    out += [f"{where}{o}" for o, where in itertools.product(z["objects"][:30], z["object_places"])]
    for colour, (shape, measure) in itertools.product(z["colours"], z["shapes"]):
        out.append(f"一{measure}{colour}的{shape}")
        out += [f"两{measure}{colour}的{shape}", f"三{measure}{colour}的{shape}"]
        out += [f"{s}一{measure}{colour}的{shape}" for s in z["surfaces"]]
    out += z["hand_written"]
    return out


# ---------------------------------------------------------------------------------------------
# Spanish

ES_PEOPLE = ["un hombre", "una mujer", "un niño", "una niña", "dos niños", "un anciano",
             "una anciana", "una pareja", "una familia", "un grupo de amigos", "un adolescente",
             "unos abuelos con sus nietos"]
ES_ACTIVITIES = [
    "nadando", "haciendo senderismo", "jugando al fútbol", "montando en bicicleta",
    "preparando la cena", "comiendo un helado", "leyendo un libro", "bailando", "esquiando",
    "haciendo surf", "pescando", "acampando en una tienda", "pintando un cuadro",
    "tocando la guitarra", "tocando el piano", "soplando las velas de cumpleaños",
    "abriendo regalos", "haciendo un castillo de arena", "haciéndose un selfie",
    "paseando al perro", "volando una cometa", "corriendo una carrera", "haciendo yoga",
    "escalando un rocódromo", "patinando", "patinando sobre hielo", "montando a caballo",
    "remando en una barca", "haciendo un pícnic", "trabajando en el jardín",
    "horneando galletas", "jugando a juegos de mesa", "cantando", "riendo juntos",
    "durmiendo en el sofá", "trabajando con un portátil", "bajando una colina en trineo",
    "saltando a un lago", "jugando en la nieve", "jugando al baloncesto", "jugando al tenis",
    "haciendo pompas de jabón", "dando de comer a los patos", "haciendo un muñeco de nieve",
    "mirando los fuegos artificiales", "decorando el árbol de Navidad", "posando para una foto",
]
# (place, outdoor)
ES_PLACES = [
    ("una playa", True), ("una playa de arena", True), ("una costa rocosa", True),
    ("un lago de montaña", True), ("un río", True), ("un puerto", True), ("una cascada", True),
    ("una piscina", True), ("un muelle", True), ("una isla tropical", True), ("un bosque", True),
    ("un sendero en el bosque", True), ("la cima de una montaña", True), ("un prado", True),
    ("un campo de trigo", True), ("un desierto", True), ("un campo nevado", True),
    ("un valle", True), ("un viñedo", True), ("una granja", True), ("un jardín", True),
    ("un parque", True), ("una pista de esquí", True), ("un camino rural", True),
    ("un campo de flores", True), ("una calle de la ciudad", True),
    ("un mercado lleno de gente", True), ("una plaza", True), ("un puente", True),
    ("una azotea", True), ("el horizonte de una ciudad", True), ("un casco antiguo", True),
    ("un parque infantil", True), ("una terraza de café", True), ("un castillo", True),
    ("un faro", True), ("una catedral", True), ("un templo", True), ("un molino de viento", True),
    ("un viejo puente de piedra", True), ("una fuente", True),
    ("una estación de tren", False), ("un aeropuerto", False), ("una estación de metro", False),
    ("un estadio de fútbol", False), ("una cocina", False), ("un salón", False),
    ("un dormitorio", False), ("un baño", False), ("una oficina", False), ("un aula", False),
    ("una biblioteca", False), ("un museo", False), ("una cafetería", False),
    ("un restaurante", False), ("una sala de conciertos", False), ("un gimnasio", False),
    ("una iglesia", False), ("una habitación de hotel", False), ("un supermercado", False),
    ("un taller", False), ("un teatro", False), ("un bar", False),
]
ES_LIGHT = ["al atardecer", "al amanecer", "de noche", "al anochecer", "en un día de lluvia",
            "entre la niebla", "bajo un cielo azul", "bajo un cielo nublado", "con nieve",
            "en la hora dorada", "en otoño", "en primavera", "en verano", "en invierno",
            "después de una tormenta"]
ES_ANIMALS = ["un perro", "dos perros", "un cachorro", "un gato", "un gatito", "un caballo",
              "una vaca", "un rebaño de ovejas", "un pájaro", "una bandada de pájaros", "un pato",
              "un cisne", "una gaviota", "un ciervo", "una ardilla", "un conejo", "una cabra",
              "una gallina", "una mariposa", "un zorro", "un loro", "un pez", "una tortuga",
              "un búho"]
ES_ANIMAL_PLACES = ["en la playa", "en un jardín", "en un parque", "sobre la hierba",
                    "en la nieve", "en un campo", "en el sofá", "junto a un lago",
                    "en un bosque", "en una granja", "sobre una valla de madera"]
ES_ANIMAL_ACTIONS = ["durmiendo", "corriendo", "jugando con una pelota", "mirando a la cámara",
                     "comiendo", "saltando", "tomando el sol"]
ES_STYLES = ["una foto en blanco y negro de", "un primer plano de", "una vista aérea de",
             "una foto borrosa de", "una panorámica de", "la silueta de",
             "una foto de larga exposición de", "una foto antigua de", "una foto cenital de",
             "un cuadro de", "un boceto de", "una foto nocturna de", "el reflejo de",
             "una macrofotografía de"]
ES_SUBJECTS = ["el horizonte de una ciudad", "una cordillera", "una flor", "un perro", "un gato",
               "una familia", "una calle", "una playa", "un bosque", "un puente", "un coche",
               "un edificio", "un árbol", "una cara", "el mar", "un pájaro", "una taza de café",
               "una iglesia", "una bicicleta", "un puerto"]
ES_EVENTS = [
    "una fiesta de cumpleaños con globos", "una fiesta de cumpleaños con tarta y velas",
    "una fiesta de cumpleaños en el jardín", "una fiesta de cumpleaños infantil",
    "una boda en una iglesia", "el banquete de una boda con baile", "una boda en un jardín",
    "los novios", "una tarta de boda", "una ceremonia de graduación",
    "birretes lanzados al aire", "una graduación con la familia", "la cena de Nochebuena",
    "un árbol de Navidad con regalos", "un mercado navideño de noche",
    "abriendo regalos la mañana de Navidad", "luces de Navidad en la calle",
    "una fiesta de Nochevieja", "fuegos artificiales sobre la ciudad",
    "un brindis con cava", "las doce uvas", "una reunión familiar", "un retrato de familia",
    "una barbacoa familiar en el jardín", "una obra de teatro escolar",
    "una excursión escolar a un museo", "una foto de clase", "el primer día de colegio",
    "un partido de fútbol en un estadio", "la foto de un equipo de fútbol",
    "un concierto con mucho público", "un concierto al aire libre", "un desfile por la calle",
    "una fiesta de barrio", "un carnaval", "una fiesta de disfraces de Halloween",
    "una calabaza con una vela",
    "una búsqueda de huevos de Pascua", "los primeros pasos de un bebé",
    "un bebé durmiendo en la cuna", "el primer cumpleaños de un bebé",
    "unas vacaciones de verano en la playa", "un festival de verano", "un viaje por carretera",
    "unas vacaciones de invierno en la montaña", "un paseo por la nieve",
    "una cabaña con chimenea", "una procesión de Semana Santa", "una feria con farolillos",
]
ES_FOOD = ["una pizza", "una tarta de cumpleaños", "una taza de café", "un plato de sopa",
           "un plato de pasta", "una hamburguesa con patatas fritas", "una macedonia",
           "un cuenco de ramen", "sushi", "un cruasán", "una copa de vino tinto",
           "una caña de cerveza", "un cóctel", "una tarta de chocolate", "una cesta de pan",
           "verduras frescas", "salchichas en la parrilla", "una mesa de desayuno",
           "tortitas con sirope", "un cuenco de fresas", "un cucurucho de helado",
           "una tabla de quesos", "un pollo asado", "tacos", "un curry con arroz",
           "una ensalada", "una taza de té", "un sándwich", "una paella", "churros con chocolate",
           "una tortilla de patatas", "unas tapas"]
ES_FOOD_PLACES = ["en una mesa", "en un plato", "en un restaurante", "en un pícnic",
                  "en una cocina"]
ES_OBJECTS = ["una bicicleta", "un coche rojo", "un coche antiguo", "una moto", "un velero",
              "una canoa", "un tren", "un avión", "un globo aerostático", "una tienda de campaña",
              "una mochila", "una maleta", "un portátil", "un móvil", "una cámara",
              "un par de zapatos", "un sombrero", "un osito de peluche", "un coche de juguete",
              "una cometa", "una guitarra", "un piano", "un reloj", "una lámpara",
              "un jarrón con flores", "una planta en maceta", "una estantería",
              "una pila de libros", "una vela", "un árbol de Navidad", "un muñeco de nieve",
              "un castillo de arena", "un banco", "un columpio", "una farola", "un buzón",
              "una puerta roja", "una ventana", "una escalera", "una chimenea", "una silla",
              "una mesa", "una cama", "un sofá", "una alfombra", "un espejo",
              "un cuadro en la pared", "un mapa", "una nota escrita a mano", "un tique",
              "una entrada", "un pasaporte", "una pizarra blanca", "una pantalla de ordenador",
              "un tractor", "un autobús", "un tranvía", "una barca"]
ES_OBJECT_PLACES = ["sobre una mesa", "en una habitación", "en el suelo", "junto a una ventana",
                    "en un jardín", "en la calle", "en la playa", "en la nieve"]
# colour: (m. sg., f. sg., m. pl., f. pl.)
ES_COLOURS = {"rojo": ("rojo", "roja", "rojos", "rojas"),
              "naranja": ("naranja", "naranja", "naranja", "naranja"),
              "amarillo": ("amarillo", "amarilla", "amarillos", "amarillas"),
              "verde": ("verde", "verde", "verdes", "verdes"),
              "azul": ("azul", "azul", "azules", "azules"),
              "morado": ("morado", "morada", "morados", "moradas"),
              "rosa": ("rosa", "rosa", "rosa", "rosa"),
              "blanco": ("blanco", "blanca", "blancos", "blancas"),
              "negro": ("negro", "negra", "negros", "negras"),
              "marrón": ("marrón", "marrón", "marrones", "marrones"),
              "gris": ("gris", "gris", "grises", "grises")}
# (singular, plural, feminine)
ES_SHAPES = [("círculo", "círculos", False), ("cuadrado", "cuadrados", False),
             ("triángulo", "triángulos", False), ("estrella", "estrellas", True),
             ("cruz", "cruces", True), ("rombo", "rombos", False),
             ("corazón", "corazones", False), ("pelota", "pelotas", True),
             ("caja", "cajas", True), ("globo", "globos", False)]
ES_SURFACES = ["sobre la hierba", "sobre una mesa de madera", "sobre la arena",
               "contra un cielo nocturno"]
ES_HAND_WRITTEN = [
    "una captura de pantalla de un móvil", "una captura de una página web",
    "un documento escaneado", "una pizarra con notas", "una página escrita a mano",
    "una tarjeta de visita", "una factura sobre la mesa", "una lista de la compra",
    "la carta de un restaurante", "una señal de tráfico", "el cartel con el nombre de una calle",
    "el mapa de una ciudad", "una tarjeta de embarque", "una entrada de concierto",
    "una receta en un libro de cocina", "la página de un libro", "un gráfico en una pantalla",
    "un código QR", "un selfie en el espejo", "un selfie de grupo",
    "el retrato de una mujer sonriendo", "el retrato de un hombre con barba",
    "un bebé sonriendo a la cámara", "un bebé dormido", "un niño con la cara pintada",
    "un perro con un palo en la boca", "un gato dentro de una caja",
    "un gato en el alféizar", "un perro en el asiento trasero del coche",
    "un perro atrapando un frisbi", "vacas pastando en un campo", "un arcoíris sobre el campo",
    "un rayo de noche", "la Vía Láctea de noche",
    "la luna llena", "una aurora boreal sobre un lago",
    "una puesta de sol sobre el mar", "un amanecer en la montaña",
    "nubes vistas desde la ventanilla de un avión", "un cielo estrellado",
    "hojas de otoño en el suelo", "cerezos en flor", "un campo de girasoles",
    "un campo de tulipanes", "un campo de lavanda", "una rosa roja", "un ramo de flores",
    "escarcha en una ventana", "un lago helado", "huellas en la nieve",
    "olas rompiendo contra las rocas", "un surfista en una ola grande",
    "barcos en el puerto al atardecer", "un faro de noche", "una carretera entre montañas",
    "un atasco", "las luces de la ciudad de noche", "un letrero de neón", "un grafiti en una pared",
    "un mural de colores", "una hilera de casas", "una casa de campo antigua",
    "una cabaña de madera en el bosque", "un rascacielos", "una calle vacía de noche",
    "una calle lluviosa con paraguas", "un puesto de fruta en el mercado", "una pescadería",
    "un escaparate de panadería", "una librería", "un tiovivo", "una noria",
    "una montaña rusa", "un zoo", "un acuario", "un elefante", "una jirafa", "un león",
    "una cebra", "un pingüino", "un delfín saltando", "un arrecife de coral",
    "niños jugando en una fuente", "un niño en un columpio", "un niño en un tobogán",
    "gente alrededor de una hoguera", "una tienda de campaña bajo las estrellas",
    "una hamaca entre árboles", "una cesta de pícnic sobre una manta",
    "una mesa puesta para invitados", "un anillo de boda", "una novia con un ramo",
    "un trofeo", "una medalla", "una línea de meta", "un corredor de maratón",
    "un ciclista en una carretera de montaña", "un kayak en un lago", "un barco de pesca",
    "un crucero", "un tren de vapor", "un huerto", "tomates en la mata",
    "manzanas en un árbol", "un escritorio desordenado", "un rincón de lectura acogedor",
    "una ventana con lluvia", "un gato sobre el teclado", "cajas de mudanza",
    "una habitación vacía", "una fiesta en el jardín", "una fiesta en la piscina",
    "un cuadro en un museo", "una estatua en un parque", "una vidriera",
    "un escenario con luces", "un grupo tocando en directo", "un estadio de noche",
    "una pista de tenis", "un recién nacido", "una mujer embarazada", "una tarjeta de cumpleaños",
    "un regalo envuelto", "fuegos artificiales sobre un río", "bengalas de noche",
    "una cena a la luz de las velas", "una sombrilla en la playa", "una concha en la playa",
    "un refugio de montaña", "un pueblo nevado", "un desierto al atardecer", "un camello",
    "una palmera", "una playa tropical con palmeras", "un puesto de comida callejera",
    "un mercado nocturno", "un olivar", "un pueblo blanco", "una plaza mayor",
]


def _es_adjective(colour: str, feminine: bool, plural: bool) -> str:
    return ES_COLOURS[colour][2 * plural + feminine]


def es_lines() -> list[str]:
    """Spanish: gerunds for activities, agreement of colour with shape, places after nouns."""
    out = [f"{p} {a}" for p, a in itertools.product(ES_PEOPLE[:10], ES_ACTIVITIES)]
    for place, outdoor in ES_PLACES:
        out.append(place)
        out += [f"{place} {light}" for light in (ES_LIGHT if outdoor else ["de noche"])]
    out += ES_ANIMALS
    out += [f"{a} {where}" for a, where in itertools.product(ES_ANIMALS, ES_ANIMAL_PLACES)]
    out += [f"{a} {act}" for a, act in itertools.product(ES_ANIMALS[:12], ES_ANIMAL_ACTIONS)]
    out += [f"{s} {subject}" for s, subject in itertools.product(ES_STYLES, ES_SUBJECTS)]
    out += ES_EVENTS
    out += ES_FOOD
    out += [f"{f} {where}" for f, where in itertools.product(ES_FOOD, ES_FOOD_PLACES)]
    out += ES_OBJECTS
    out += [f"{o} {where}" for o, where in itertools.product(ES_OBJECTS[:30], ES_OBJECT_PLACES)]
    for colour, (singular, plural, fem) in itertools.product(ES_COLOURS, ES_SHAPES):
        one = f"{'una' if fem else 'un'} {singular} {_es_adjective(colour, fem, False)}"
        many = f"{plural} {_es_adjective(colour, fem, True)}"
        out += [one, f"dos {many}", f"tres {many}"]
        out += [f"{one} {s}" for s in ES_SURFACES]
    out += ES_HAND_WRITTEN
    return out


# ---------------------------------------------------------------------------------------------
# Japanese

JA_PEOPLE = ["男性", "女性", "子ども", "二人の子ども", "おじいさん", "おばあさん", "カップル",
             "家族", "友だちのグループ", "女の子", "男の子"]
# What people do, as a clause before the noun: 泳いでいる男性.
JA_ACTIVITIES = ["泳いでいる", "ハイキングをしている", "サッカーをしている", "自転車に乗っている",
                 "夕食を作っている", "アイスクリームを食べている", "本を読んでいる", "踊っている",
                 "スキーをしている", "サーフィンをしている", "釣りをしている", "キャンプをしている",
                 "絵を描いている", "ギターを弾いている", "ピアノを弾いている",
                 "誕生日のろうそくを吹き消している", "プレゼントを開けている", "砂の城を作っている",
                 "自撮りをしている", "犬の散歩をしている", "凧揚げをしている", "かけっこをしている",
                 "ヨガをしている", "ボルダリングをしている", "スケートボードをしている",
                 "アイススケートをしている", "馬に乗っている", "ボートを漕いでいる",
                 "ピクニックをしている", "庭仕事をしている", "クッキーを焼いている",
                 "ボードゲームをしている", "歌っている", "一緒に笑っている", "ソファで寝ている",
                 "ノートパソコンで仕事をしている", "そりで坂を滑っている", "湖に飛び込んでいる",
                 "雪遊びをしている", "バスケットボールをしている", "テニスをしている",
                 "シャボン玉を吹いている", "アヒルに餌をあげている", "雪だるまを作っている",
                 "花火を見ている", "クリスマスツリーを飾っている", "写真のポーズをとっている"]
JA_PLACES = [("海辺", True), ("砂浜", True), ("岩場の海岸", True), ("山の湖", True),
             ("川", True), ("港", True), ("滝", True), ("プール", True), ("桟橋", True),
             ("南の島", True), ("森", True), ("森の小道", True), ("山頂", True), ("草原", True),
             ("麦畑", True), ("砂漠", True), ("雪原", True), ("谷", True), ("ぶどう畑", True),
             ("農場", True), ("庭", True), ("公園", True), ("キャンプ場", True),
             ("スキー場", True), ("田舎道", True), ("花畑", True), ("街の通り", True),
             ("にぎやかな市場", True), ("広場", True), ("橋", True), ("屋上", True),
             ("街のスカイライン", True), ("古い町並み", True), ("遊び場", True), ("城", True),
             ("灯台", True), ("大聖堂", True), ("お寺", True), ("神社", True), ("風車", True),
             ("古い石橋", True), ("噴水", True), ("駅", False), ("空港", False),
             ("地下鉄の駅", False), ("サッカースタジアム", False), ("キッチン", False),
             ("リビング", False), ("寝室", False), ("浴室", False), ("オフィス", False),
             ("教室", False), ("図書館", False), ("博物館", False), ("カフェ", False),
             ("レストラン", False), ("コンサートホール", False), ("ジム", False), ("教会", False),
             ("ホテルの部屋", False), ("スーパー", False), ("作業場", False), ("劇場", False),
             ("居酒屋", False)]
JA_LIGHT = ["夕暮れの", "日の出の", "夜の", "たそがれの", "雨の日の", "霧の中の", "青空の下の",
            "曇り空の下の", "雪の", "秋の", "春の", "夏の", "冬の", "嵐のあとの"]
JA_ANIMALS = ["犬", "二匹の犬", "子犬", "猫", "子猫", "馬", "牛", "羊の群れ", "鳥", "鳥の群れ",
              "アヒル", "白鳥", "カモメ", "シカ", "リス", "ウサギ", "ヤギ", "ニワトリ", "チョウ",
              "キツネ", "オウム", "魚", "カメ", "フクロウ"]
JA_ANIMAL_PLACES = ["海辺にいる", "庭にいる", "公園にいる", "芝生の上の", "雪の中の",
                    "野原にいる", "ソファの上の", "湖のほとりの", "森の中の", "農場の",
                    "木の柵の上の"]
JA_ANIMAL_ACTIONS = ["眠っている", "走っている", "ボールで遊んでいる", "カメラを見ている",
                     "食べている", "跳んでいる", "日なたぼっこをしている"]
JA_STYLES = ["のモノクロ写真", "のクローズアップ", "の空撮", "のぼやけた写真", "のパノラマ",
             "のシルエット", "の長時間露光写真", "の古い写真", "を真上から撮った写真", "の油絵",
             "のスケッチ", "の夜景写真", "の映り込み", "のマクロ写真"]
JA_SUBJECTS = ["街のスカイライン", "山並み", "花", "犬", "猫", "家族", "通り", "海辺", "森", "橋",
               "車", "建物", "木", "顔", "海", "鳥", "一杯のコーヒー", "教会", "自転車", "港"]
JA_EVENTS = [
    "風船で飾った誕生日パーティー", "ケーキとろうそくの誕生日パーティー", "庭での誕生日パーティー",
    "子どもの誕生日パーティー", "教会での結婚式", "ダンスのある披露宴", "ガーデンウェディング",
    "新郎新婦", "ウェディングケーキ", "卒業式", "卒業式の集合写真", "家族でのクリスマスディナー",
    "プレゼントの置かれたクリスマスツリー",
    "夜のクリスマスマーケット", "クリスマスの朝にプレゼントを開ける",
    "街のイルミネーション", "年越しパーティー", "街の上の新年の花火", "シャンパンで乾杯",
    "親戚の集まり", "家族写真", "庭でのバーベキュー", "学芸会", "運動会", "クラスの集合写真",
    "入学式", "スタジアムでのサッカーの試合", "サッカーチームの集合写真", "大観衆のコンサート",
    "野外ステージのライブ", "パレード", "夏祭り", "盆踊り", "花火大会", "お花見",
    "七五三", "成人式", "初詣", "ハロウィンの仮装パーティー", "ろうそくを灯したかぼちゃ",
    "赤ちゃんの初めての一歩", "ベビーベッドで眠る赤ちゃん", "赤ちゃんの一歳の誕生日",
    "海辺の夏休み", "ドライブ旅行", "山での冬休み", "雪の中の散歩", "暖炉のある山小屋",
]
JA_FOOD = ["ピザ", "誕生日ケーキ", "一杯のコーヒー", "スープ", "パスタ", "ハンバーガーとポテト",
           "フルーツサラダ", "ラーメン", "寿司", "クロワッサン", "赤ワイン", "ビール", "カクテル",
           "チョコレートケーキ", "かごに入ったパン", "新鮮な野菜", "グリルで焼いたソーセージ",
           "朝ごはん", "シロップをかけたパンケーキ", "いちご", "ソフトクリーム", "ローストチキン",
           "カレーライス", "サラダ", "お茶", "サンドイッチ", "お弁当", "天ぷら", "おにぎり",
           "たこ焼き", "焼き鳥", "抹茶"]
JA_FOOD_PLACES = ["テーブルの上の", "お皿の上の", "レストランの", "ピクニックの", "キッチンの"]
JA_OBJECTS = ["自転車", "赤い車", "クラシックカー", "バイク", "ヨット", "カヌー", "電車", "飛行機",
              "熱気球", "テント", "リュック", "スーツケース", "ノートパソコン", "スマートフォン",
              "カメラ", "靴", "帽子", "テディベア", "おもちゃの車", "凧", "ギター", "ピアノ",
              "時計", "ランプ", "花瓶の花", "鉢植え", "本棚", "積み重ねた本", "ろうそく",
              "クリスマスツリー", "雪だるま", "砂の城", "ベンチ", "ブランコ", "街灯", "郵便ポスト",
              "赤いドア", "窓", "階段", "暖炉", "椅子", "テーブル", "ベッド", "ソファ", "ラグ",
              "鏡", "壁の絵", "地図", "手書きのメモ", "レシート", "チケット", "パスポート",
              "ホワイトボード", "パソコンの画面", "トラクター", "バス", "路面電車", "船"]
JA_OBJECT_PLACES = ["テーブルの上の", "部屋の中の", "床の上の", "窓辺の", "庭の", "通りの",
                    "海辺の", "雪の中の"]
JA_COLOURS = ["赤い", "オレンジ色の", "黄色い", "緑の", "青い", "紫の", "ピンクの", "白い",
              "黒い", "茶色の", "灰色の"]
JA_SHAPES = ["丸", "四角", "三角", "星", "十字", "ひし形", "ハート", "ボール", "箱", "風船"]
JA_SURFACES = ["芝生の上の", "木のテーブルの上の", "砂の上の", "夜空の"]
JA_HAND_WRITTEN = [
    "スマートフォンのスクリーンショット", "ウェブページのスクリーンショット", "スキャンした書類",
    "メモが書かれたホワイトボード", "手書きのページ", "名刺", "テーブルの上の請求書",
    "買い物リスト", "レストランのメニュー", "道路標識", "通りの名前の看板", "街の地図",
    "搭乗券", "コンサートのチケット", "料理本のレシピ", "本のページ", "画面のグラフ", "QRコード",
    "鏡越しの自撮り", "みんなでの自撮り", "笑顔の女性のポートレート", "ひげの男性のポートレート",
    "カメラに笑いかける赤ちゃん", "眠っている赤ちゃん", "フェイスペイントをした子ども",
    "枝をくわえた犬", "箱に入った猫", "窓辺の猫", "車の後部座席の犬", "フリスビーをキャッチする犬",
    "牧草を食べる牛", "田んぼの上の虹", "夜の稲妻", "夜空の天の川", "満月", "湖の上のオーロラ",
    "海に沈む夕日", "山から昇る朝日", "飛行機の窓から見た雲", "星空", "地面の紅葉", "桜",
    "ひまわり畑", "チューリップ畑", "ラベンダー畑", "一輪の赤いバラ", "花束", "窓の霜", "凍った湖",
    "雪の上の足あと", "岩に打ち寄せる波", "大きな波に乗るサーファー", "夕暮れの港の船",
    "夜の灯台", "山あいの道", "渋滞", "夜の街の明かり", "ネオンサイン", "にぎやかな交差点",
    "壁の落書き", "カラフルな壁画", "並んだ家", "古い農家", "森の中のログハウス", "高層ビル",
    "夜の誰もいない通り", "傘をさした人が歩く雨の通り",
    "果物の屋台", "魚市場", "パン屋のショーウィンドウ",
    "本屋", "メリーゴーランド", "観覧車", "ジェットコースター", "動物園", "水族館", "ゾウ",
    "キリン", "ライオン", "シマウマ", "ペンギン", "ジャンプするイルカ", "サンゴ礁",
    "噴水で遊ぶ子どもたち", "ブランコに乗る子ども", "すべり台で遊ぶ子ども", "たき火を囲む人たち",
    "星空の下のテント", "木の間のハンモック", "レジャーシートの上のピクニックバスケット",
    "お客さんのために整えた食卓", "結婚指輪", "ブーケを持った花嫁", "トロフィー", "メダル",
    "ゴールライン", "マラソンのランナー", "山道を走るサイクリスト", "湖のカヤック", "漁船",
    "クルーズ船", "蒸気機関車", "家庭菜園", "木になったりんご", "散らかった机",
    "居心地のいい読書コーナー", "雨の窓",
    "キーボードの上の猫", "引っ越しの段ボール", "空っぽの部屋",
    "庭のパーティー", "博物館の絵", "公園の銅像", "ステンドグラス", "照明の当たったステージ",
    "バンドの演奏", "夜のスタジアム", "テニスコート", "新生児", "妊婦さん", "誕生日カード",
    "包装したプレゼント", "川の上の花火", "夜の線香花火", "キャンドルの灯るディナー",
    "ビーチパラソル", "砂浜の貝殻", "山小屋", "雪に覆われた村", "夕暮れの砂漠", "ラクダ",
    "ヤシの木", "ヤシの木のある南国のビーチ", "棚田", "茶畑", "提灯の並ぶお寺", "屋台", "鳥居",
    "富士山", "温泉", "紅葉の庭園", "竹林", "着物姿の女性",
]


def ja_lines() -> list[str]:
    """Japanese: the description comes before the noun (clauses, の phrases)."""
    out = [f"{a}{p}" for p, a in itertools.product(JA_PEOPLE[:9], JA_ACTIVITIES)]
    for place, outdoor in JA_PLACES:
        out.append(place)
        out += [f"{light}{place}" for light in (JA_LIGHT if outdoor else ["夜の"])]
    out += JA_ANIMALS
    out += [f"{where}{a}" for a, where in itertools.product(JA_ANIMALS, JA_ANIMAL_PLACES)]
    out += [f"{act}{a}" for a, act in itertools.product(JA_ANIMALS[:12], JA_ANIMAL_ACTIONS)]
    out += [f"{subject}{s}" for s, subject in itertools.product(JA_STYLES, JA_SUBJECTS)]
    out += JA_EVENTS
    out += JA_FOOD
    out += [f"{where}{f}" for f, where in itertools.product(JA_FOOD, JA_FOOD_PLACES)]
    out += JA_OBJECTS
    out += [f"{where}{o}" for o, where in itertools.product(JA_OBJECTS[:30], JA_OBJECT_PLACES)]
    for colour, shape in itertools.product(JA_COLOURS, JA_SHAPES):
        out += [f"{colour}{shape}", f"二つの{colour}{shape}", f"三つの{colour}{shape}"]
        out += [f"{s}{colour}{shape}" for s in JA_SURFACES]
    out += JA_HAND_WRITTEN
    return out


# ---------------------------------------------------------------------------------------------

LANGUAGES = {"zh": ("Chinese", zh_lines), "es": ("Spanish", es_lines), "ja": ("Japanese", ja_lines)}


def lines(lang: str) -> list[str]:
    """Every line of ``lang``'s vocabulary, in a fixed order, without duplicates."""
    seen: set[str] = set()
    unique = []
    for line in LANGUAGES[lang][1]():
        line = " ".join(line.split())
        if line not in seen:
            seen.add(line)
            unique.append(line)
    return unique


def render(lang: str) -> str:
    """The file's text."""
    header = (f"# PhotoSearch caption vocabulary in {LANGUAGES[lang][0]}: short descriptions "
              "of scenes, objects,\n# activities, events, places and styles, written for this "
              "product.\n# Generated by generate_vocabulary_i18n.py; one caption per line.\n")
    return header + "".join(f"{line}\n" for line in lines(lang))


if __name__ == "__main__":
    for code in LANGUAGES:
        out = Path(__file__).with_name(f"vocabulary.{code}.txt")
        out.write_text(render(code), encoding="utf-8")
        print(f"wrote {len(lines(code))} captions to {out}", file=sys.stderr)
